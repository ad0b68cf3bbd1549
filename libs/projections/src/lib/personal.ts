import type { CaseEvent, Household } from '@wih/domain';

/** How a read model shows personal data that can no longer be read (the household's key is destroyed). */
export interface Erased {
  readonly erased: true;
}
export const ERASED: Erased = { erased: true };

export interface HouseholdView {
  readonly name: string;
  readonly address: string;
  readonly phone: string | null;
}

/**
 * The decoded personal part, or null when it is unreadable. The types say every personal-bearing
 * event has one, but after erasure the decoder can only hand over the facts, so check at runtime.
 */
export const personalOf = (event: CaseEvent): Readonly<Record<string, unknown>> | null => {
  const personal = (event as { readonly personal?: unknown }).personal;
  return personal !== null && typeof personal === 'object' ? (personal as Record<string, unknown>) : null;
};

/** The household as read models show it; `phone` is null rather than absent so documents keep one shape. */
export const householdView = (household: Household | undefined | null): HouseholdView | Erased => {
  if (!household || typeof household.name !== 'string') return ERASED;
  return { name: household.name, address: household.address, phone: household.phone ?? null };
};

/**
 * The form names are indexed and searched in: NFC (clients may send decomposed umlauts) and lower
 * case, because a store's case-insensitive match may only fold ASCII ('Ö' vs 'ö'). Queries must
 * normalise the search term with the same function.
 */
export const searchKey = (text: string): string => text.normalize('NFC').toLowerCase();
