export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __cutoverEmbeddedPg?: { stop(): Promise<void> } }).__cutoverEmbeddedPg;
  if (server) await server.stop();
}
