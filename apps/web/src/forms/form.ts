import { useCallback, useState } from 'react';

export type Errors = Record<string, string>;
export type FieldValue = string | boolean | string[];

/** The state of one form: its values, the problems per field, and the ids its fields derive from. */
export interface FormApi<V extends Record<string, FieldValue>> {
  readonly id: string;
  readonly values: V;
  readonly errors: Errors;
  set<K extends keyof V & string>(name: K, value: V[K]): void;
  setErrors(errors: Errors): void;
}

export function useForm<V extends Record<string, FieldValue>>(id: string, initial: V | (() => V)): FormApi<V> {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const set = useCallback(<K extends keyof V & string>(name: K, value: V[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    // A corrected field loses its problem at once; the others keep theirs until the next submit.
    setErrors((e) => (name in e ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== name)) : e));
  }, []);
  return { id, values, errors, set, setErrors };
}

export const fieldId = (formId: string, name: string) => `${formId}-${name.replace(/\./g, '-')}`;
