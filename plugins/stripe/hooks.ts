// The stripe plugin fires no hooks of its own; it listens to shops' and declares its jobs in jobs.ts.
import type {} from '../shops/hooks';
export {};
