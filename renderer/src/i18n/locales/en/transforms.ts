/** Transforms: list, detail, the studio (editor, preview, publish). */
const transforms = {} as const;

export default transforms;
