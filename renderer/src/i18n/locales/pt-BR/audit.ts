import type en from '../en/audit.js';
import type { Translation } from '../../translation.js';

const audit: Translation<typeof en> = {};

export default audit;
