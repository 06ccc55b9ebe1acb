import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { z } from 'zod';

export const PLUGIN_NAME = /^[a-z][a-z0-9-]{1,48}$/;

/** Names core uses as a template owner or URL prefix: a plugin by that name would take over core's templates. */
export const RESERVED_NAMES = ['core', 'admin', 'themes', 'assets', 'uploads'];

const range = z.string().refine((r) => semver.validRange(r) !== null, 'must be a semver range such as ^1.0.0');

export const manifestSchema = z.object({
  name: z
    .string()
    .regex(PLUGIN_NAME, 'lowercase letters, digits and dashes, 2 to 49 characters, starting with a letter')
    .refine((n) => !RESERVED_NAMES.includes(n), 'this name is reserved for Agora itself'),
  version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semantic version such as 1.0.0'),
  title: z.string().min(1).max(100),
  description: z.string().max(1000).default(''),
  main: z.string().regex(/^[\w\-/]+\.(ts|js)$/, 'a .ts or .js file inside the plugin').default('index.ts'),
  requires: z
    .object({
      core: range.default('*'),
      plugins: z.record(z.string().regex(PLUGIN_NAME), range).default({}),
    })
    .default({ core: '*', plugins: {} }),
});

export type PluginManifest = z.infer<typeof manifestSchema>;

export class ManifestError extends Error {}

export function parseManifest(json: unknown): PluginManifest {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ManifestError(`plugin.json: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  return parsed.data;
}

export function readManifest(dir: string): PluginManifest {
  const file = path.join(dir, 'plugin.json');
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ManifestError(`plugin.json: cannot be read as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseManifest(json);
}
