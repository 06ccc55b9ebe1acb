import { definePlugin } from '@agora/core';
import { setupConsent } from './consent/setup';
import { setupRights } from './rights/setup';
import { setupSecurity } from './security/setup';

export default definePlugin({
  async setup(ctx) {
    // Part 1: policies, consent per form section, the consent register, cookies with prior consent.
    await setupConsent(ctx);
    // Part 2: "Exercise your rights", the register of requests, export, erasure and retention.
    await setupRights(ctx);
    // Security of processing: encrypted personal fields, their keys, re-encryption.
    setupSecurity(ctx);
  },
});
