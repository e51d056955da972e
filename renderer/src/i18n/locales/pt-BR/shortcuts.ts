import type en from '../en/shortcuts.js';
import type { Translation } from '../../translation.js';

const shortcuts: Translation<typeof en> = {};

export default shortcuts;
