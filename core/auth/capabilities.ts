export const ROLES = ['customer', 'seller', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The least a capability check needs to know about a person. */
export interface Actor {
  id: number;
  role: Role;
}

/** Decides, for one object, whether an actor who may not act on all such objects may act on this one. */
export type ObjectRule = (actor: Actor, object: unknown) => boolean | Promise<boolean>;

interface CapabilityDef {
  owner: string;
  label: string;
}

/**
 * WordPress-style roles and capabilities. A role holds a set of capabilities; plugins register theirs
 * and grant them to roles. `can` is the one check every route makes: a role capability allows it for
 * every object; otherwise an object rule may allow it for objects the actor owns.
 */
export class Capabilities {
  private readonly defs = new Map<string, CapabilityDef>();
  private readonly grants = new Map<Role, Set<string>>(ROLES.map((r) => [r, new Set<string>()]));
  private readonly rules = new Map<string, ObjectRule[]>();

  register(owner: string, capability: string, label: string, roles: Role[]): () => void {
    this.defs.set(capability, { owner, label });
    const granted = roles.filter((r) => !this.grants.get(r)!.has(capability));
    for (const r of granted) this.grants.get(r)!.add(capability);
    return () => {
      this.defs.delete(capability);
      for (const r of granted) this.grants.get(r)!.delete(capability);
    };
  }

  /** Lets an actor act on a particular object (their own order, their shop) without the role capability. */
  rule(capability: string, rule: ObjectRule): () => void {
    const list = [...(this.rules.get(capability) ?? []), rule];
    this.rules.set(capability, list);
    return () => this.rules.set(capability, (this.rules.get(capability) ?? []).filter((r) => r !== rule));
  }

  roleHas(role: Role, capability: string): boolean {
    return role === 'admin' || (this.grants.get(role)?.has(capability) ?? false);
  }

  async can(actor: Actor | undefined | null, capability: string, object?: unknown): Promise<boolean> {
    if (!actor) return false;
    if (this.roleHas(actor.role, capability)) return true;
    if (object === undefined) return false;
    for (const rule of this.rules.get(capability) ?? []) if (await rule(actor, object)) return true;
    return false;
  }

  list(): Array<{ capability: string; owner: string; label: string; roles: Role[] }> {
    return [...this.defs.entries()]
      .map(([capability, d]) => ({ capability, ...d, roles: ROLES.filter((r) => this.roleHas(r, capability)) }))
      .sort((a, b) => a.capability.localeCompare(b.capability));
  }
}
