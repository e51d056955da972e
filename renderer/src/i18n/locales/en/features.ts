/** Features: list, detail, new feature form, versions, data profile. */
const features = {} as const;

export default features;
