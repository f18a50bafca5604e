// Load order from foreign keys: tables connected by FKs (in either direction) form a component that
// must load in ONE transaction (a child's rows are checked against its parent's uncommitted rows);
// inside it, parents come before children. Self-references need no order (COPY checks FKs at the end
// of the statement). A cycle is reported; it is loadable only when one FK on it is DEFERRABLE.

export interface FkEdge {
  child: string;
  parent: string;
  deferrable: boolean;
}

export interface LoadComponent {
  /** Table keys, parents first. */
  tables: string[];
  /** Tables on a foreign-key cycle (loaded with deferred constraints). */
  cycle: string[];
}

export class ForeignKeyCycleError extends Error {
  readonly tables: string[];
  constructor(tables: string[]) {
    super(`foreign keys form a cycle between ${tables.join(', ')}`);
    this.tables = tables;
  }
}

function components(tables: string[], edges: FkEdge[], links: Array<[string, string]>): string[][] {
  const parent = new Map(tables.map((t) => [t, t]));
  const find = (t: string): string => {
    while (parent.get(t) !== t) t = parent.get(t)!;
    return t;
  };
  for (const edge of edges) parent.set(find(edge.child), find(edge.parent));
  for (const [a, b] of links) if (parent.has(a) && parent.has(b) && find(a) !== find(b)) parent.set(find(a), find(b));
  const groups = new Map<string, string[]>();
  for (const table of tables) groups.set(find(table), [...(groups.get(find(table)) ?? []), table]);
  return [...groups.values()];
}

/** Kahn's algorithm, ties broken by name so the order is stable; returns the leftover (cyclic) tables. */
function topological(tables: string[], edges: FkEdge[]): { order: string[]; leftover: string[] } {
  const pending = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const edge of edges) if (edge.child !== edge.parent) pending.get(edge.child)!.add(edge.parent);
  const order: string[] = [];
  for (;;) {
    const ready = [...pending.entries()].filter(([, parents]) => parents.size === 0).map(([t]) => t).sort();
    if (ready.length === 0) break;
    for (const table of ready) {
      order.push(table);
      pending.delete(table);
      for (const parents of pending.values()) parents.delete(table);
    }
  }
  return { order, leftover: [...pending.keys()].sort() };
}

/**
 * Components with their load order; throws ForeignKeyCycleError when a cycle has no deferrable FK.
 * `links` join tables into one component without ordering them (they share a transaction).
 */
export function planLoadOrder(tables: string[], allEdges: FkEdge[], links: Array<[string, string]> = []): LoadComponent[] {
  const selected = new Set(tables);
  const edges = allEdges.filter((e) => selected.has(e.child) && selected.has(e.parent));
  return components(tables, edges, links).map((group) => {
    const inGroup = edges.filter((e) => group.includes(e.child));
    const first = topological(group, inGroup);
    if (first.leftover.length === 0) return { tables: first.order, cycle: [] };
    // Deferred constraints are checked at commit: ignore deferrable edges and try again.
    const second = topological(group, inGroup.filter((e) => !e.deferrable));
    if (second.leftover.length > 0) throw new ForeignKeyCycleError(second.leftover);
    return { tables: second.order, cycle: first.leftover };
  });
}

/** Spreads components over at most `jobs` connections, biggest first onto the least loaded. */
export function assignToConnections<T extends { weight: number }>(items: T[], jobs: number): T[][] {
  const bins: Array<{ load: number; items: T[] }> = Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, () => ({ load: 0, items: [] }));
  for (const item of [...items].sort((a, b) => b.weight - a.weight)) {
    const bin = bins.reduce((least, b) => (b.load < least.load ? b : least));
    bin.items.push(item);
    bin.load += item.weight;
  }
  return bins.map((b) => b.items).filter((items) => items.length > 0);
}
