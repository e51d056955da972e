import type en from '../en/training.js';
import type { Translation } from '../../translation.js';

const training: Translation<typeof en> = {};

export default training;
