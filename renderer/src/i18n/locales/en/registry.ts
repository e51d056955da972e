/** Entities, feature groups, feature services and lineage. */
const registry = {} as const;

export default registry;
