/** The roles a token can carry (API.md "Roles"): the sign-in's to offer, the token's to name. */
export type Role = 'caseworker' | 'fachstelle' | 'evaluator' | 'admin';
export const ROLES: readonly Role[] = ['caseworker', 'fachstelle', 'evaluator', 'admin'];
