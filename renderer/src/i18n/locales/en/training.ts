/** Training sets: labels, point-in-time, ranges, downloads. */
const training = {} as const;

export default training;
