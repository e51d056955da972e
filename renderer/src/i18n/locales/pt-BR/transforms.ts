import type en from '../en/transforms.js';
import type { Translation } from '../../translation.js';

const transforms: Translation<typeof en> = {};

export default transforms;
