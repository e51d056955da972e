/** The app frame, navigation and components shared by every page. */
const common = {
  appName: 'FStore',
  tagline: 'Feature registry',
  nav: {
    open: 'Open navigation',
    label: 'Main',
    features: 'Features',
    featureGroups: 'Feature groups',
    featureServices: 'Feature services',
    entities: 'Entities',
    transforms: 'Transforms',
    dataSources: 'Data sources',
    ingest: 'Ingest data',
    training: 'Training sets',
    jobs: 'Jobs',
    monitoring: 'Monitoring',
    definitions: 'Definitions as code',
    audit: 'Audit',
  },
  language: {
    menu: 'Language',
    choose: 'Choose the language',
  },
  colorMode: {
    toLight: 'Switch to light mode',
    toDark: 'Switch to dark mode',
  },
  skipLink: 'Skip to content',
  loading: {
    definitions: 'Loading definitions…',
    monitoring: 'Loading monitoring…',
    studio: 'Loading the transform studio…',
  },
  duration: {
    noExpiry: 'No expiry',
  },
} as const;

export default common;
