/** The audit log. */
const audit = {} as const;

export default audit;
