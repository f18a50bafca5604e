// Process-wide registry of secrets. Every password cutover sees is registered here in all the forms
// it can take (raw, percent-encoded, percent-decoded), and every text that leaves the process goes
// through `redact`. The Action runtime subscribes so each form is also masked with core.setSecret.

const MASK = '***';
const secrets = new Set<string>();
const listeners: Array<(secret: string) => void> = [];

function formsOf(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  // Some clients encode only the reserved characters; cover the lower-case hex variant too.
  forms.add(encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  try {
    forms.add(decodeURIComponent(secret));
  } catch {
    // not percent-encoded: nothing more to add
  }
  return [...forms].filter((form) => form.length > 0);
}

export function registerSecret(secret: string | undefined): void {
  if (!secret) return;
  for (const form of formsOf(secret)) {
    if (secrets.has(form)) continue;
    secrets.add(form);
    for (const listener of listeners) listener(form);
  }
}

/** Called for every form of every secret, including those registered before subscribing. */
export function onSecret(listener: (secret: string) => void): void {
  listeners.push(listener);
  for (const secret of secrets) listener(secret);
}

/** Remove every registered secret, and any password in a URL's userinfo, from `text`. */
export function redact(text: string): string {
  let result = text;
  // Longest first, so that an encoded form is not half-replaced by a shorter raw form.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (result.includes(secret)) result = result.split(secret).join(MASK);
  }
  return result.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@\s]+)@/gi, (_m, head: string) => `${head}${MASK}@`);
}
