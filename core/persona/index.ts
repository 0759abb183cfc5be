export * from './compute-persona.js';
export { getPersona, personaOf, type GetPersonaDeps } from './get-persona.js';
export type { PersonaStats } from './persona-stats.js';
