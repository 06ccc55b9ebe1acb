// Types of scripts/build.mjs, for the TypeScript that calls it (the benchmark builds dist/ when stale).
export const projectDir: string;
export const SOURCE_DIRS: string[];
export const STAMP: string;
export function build(outDir?: string): number;
export function newestSourceTime(): number;
export function isFresh(outDir?: string): boolean;
