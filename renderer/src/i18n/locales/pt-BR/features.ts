import type en from '../en/features.js';
import type { Translation } from '../../translation.js';

const features: Translation<typeof en> = {};

export default features;
