/** Fair play (SCORING.md): the pure rules; the apply (sg_apply_session) enforces the daily ones. */
export * from './normalise.js';
export * from './messages.js';
export * from './rules.js';
export * from './zone.js';
export * from './template-limits.js';
