import type en from '../en/monitoring.js';
import type { Translation } from '../../translation.js';

const monitoring: Translation<typeof en> = {};

export default monitoring;
