/**
 * A translation has exactly the English namespace's keys, each a string: a missing or extra key
 * is a type error, so no language can fall behind English unnoticed.
 */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };
