import type en from '../en/dataSources.js';
import type { Translation } from '../../translation.js';

const dataSources: Translation<typeof en> = {};

export default dataSources;
