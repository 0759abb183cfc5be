export * from './compute-persona.js';
export { getPersona, type GetPersonaDeps } from './get-persona.js';
export type { PersonaStats } from './persona-stats.js';
