import { DECLINE_CATEGORIES, type DeclineCategory } from '../model/declines.ts';

/**
 * `session_events.decline_categories` (migration 006, both engines): the categories as one text, comma-separated in
 * severity order (category names hold no comma), null when there are none. Text rather than an array type keeps the
 * column the same on both engines and a plain scalar in a batched PostgreSQL insert.
 */
export function categoriesText(categories: readonly DeclineCategory[]): string | null {
  return categories.length > 0 ? categories.join(',') : null;
}

const KNOWN = new Set<string>(DECLINE_CATEGORIES);

/** The stored text back as categories; null (entries before migration 006, or none) is none; a foreign word is dropped. */
export function categoriesOf(value: unknown): DeclineCategory[] {
  if (typeof value !== 'string' || value === '') return [];
  return value.split(',').filter((c): c is DeclineCategory => KNOWN.has(c));
}
