// A Node module resolve hook (registered with node:module `register` by plugin-loader.ts, in the loader
// thread, chained before tsx's). It gives every plugin the same public API of core under one specifier,
// '@agora/core', wherever the plugin lives: in plugins/ or unpacked from a zip into DATA_DIR/plugins,
// which has no node_modules and no relative path to core. It is plain JavaScript because it runs before
// any TypeScript loader can be relied on.

/** @type {string} */
let coreIndexUrl = '';
/** @type {string} */
let projectUrl = '';
const API = '@agora/core';
const RELOAD = 'agora-load';

/** @param {{ coreIndexUrl: string, projectUrl: string }} data */
export function initialize(data) {
  coreIndexUrl = data.coreIndexUrl;
  projectUrl = data.projectUrl;
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context?: object) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  // Handed on (not short-circuited) so tsx still loads the TypeScript file.
  if (specifier === API) return nextResolve(coreIndexUrl, context);
  const parent = context.parentURL;
  const reload = parent?.startsWith('file:') ? new URL(parent).searchParams.get(RELOAD) : null;
  if (reload !== null && (specifier.startsWith('./') || specifier.startsWith('../'))) {
    // A plugin uploaded again in the same process: its own files are evaluated again too, not only its entry.
    const result = await nextResolve(specifier, context);
    if (!result.url.startsWith('file:')) return result;
    const url = new URL(result.url);
    url.searchParams.set(RELOAD, reload);
    return { ...result, url: url.href };
  }
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    // An installed plugin has no node_modules of its own: it may use the packages core depends on (zod, ...).
    const bare = !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.includes(':');
    if (!bare || !parent || parent.startsWith(projectUrl)) throw error;
    return nextResolve(specifier, { ...context, parentURL: coreIndexUrl });
  }
}
