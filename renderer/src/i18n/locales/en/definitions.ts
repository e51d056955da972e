/** Definitions as code: export, plan, apply. */
const definitions = {} as const;

export default definitions;
