import type { TestApp } from './app';
import type { Canaries } from '../../core/privacy/coverage';

/** The person whose rows a seeder writes (test/core/privacy-canary.test.ts). */
export interface Seeded {
  email: string;
  userId: number;
}

/** Writes rows of one model that belong to the person, with a canary in each personal column. */
export type Seeder = (t: TestApp, person: Seeded, c: Canaries) => Promise<void>;
