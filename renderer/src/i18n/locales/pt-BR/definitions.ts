import type en from '../en/definitions.js';
import type { Translation } from '../../translation.js';

const definitions: Translation<typeof en> = {};

export default definitions;
