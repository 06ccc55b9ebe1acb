/**
 * The hooks of core's privacy registry. A plugin that lets a person correct personal data it holds (the address
 * book, a profile of its own) fires `core.personal_data.corrected` after the change is saved, naming what was
 * corrected, never the values; the gdpr plugin logs it in its register of requests (Art. 16 and 5(2)).
 */
declare module '../hooks' {
  interface ActionMap {
    'core.personal_data.corrected': [person: { userId: number; email: string }, correction: { owner: string; what: string; fields: string[] }];
  }
}

export {};
