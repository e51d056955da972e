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
  breadcrumb: 'Breadcrumb',
  retry: 'Retry',
  loadingDefault: 'Loading…',
  notFound: {
    title: 'This page does not exist',
    goToFeatures: 'Go to features',
  },
  status: {
    active: 'Active',
    deprecated: 'Deprecated',
    archived: 'Archived',
  },
  tagsPlaceholder: 'Type a tag and press Enter',
  changes: {
    field: 'Field',
    before: 'Before',
    beforeVersion: 'Before (v{{version}})',
    value: 'Value',
    after: 'After',
    label: 'Changes to {{kind}} {{name}}',
  },
  serviceStatus: {
    checking: 'Checking service…',
    version: 'Service v{{version}}',
    online: 'Service online',
    unreachable: 'Service unreachable',
  },
  serviceDown: {
    title: 'The FStore service is not answering',
    cannotSave: 'Changes cannot be saved until it is back.',
    checking: 'Checking…',
    retryNow: 'Retry now',
    checkingIn: 'Checking again in {{seconds}} s.',
    nothingAnswers: 'Nothing answers at {{host}}',
  },
  /** The naming rules of shared/domain/names.ts (English shows the rule's own text; these are its words). */
  nameRules: {
    kinds: {
      entity: 'Entity',
      feature_group: 'Feature group',
      feature: 'Feature',
      data_source: 'Data source',
      transform: 'Transform',
      feature_service: 'Feature service',
    },
    empty: '{{kind}} name must not be empty',
    tooLong: "{{kind}} name '{{name}}' is {{length}} characters long; the limit is {{max}}",
    notSnakeCase:
      "{{kind}} name '{{name}}' is not snake_case: use lowercase letters, digits and underscores, starting with a letter. Names become column names in training sets and SQL, so they must be portable",
    notSnakeCaseExample:
      "{{kind}} name '{{name}}' is not snake_case: use lowercase letters, digits and underscores, starting with a letter (for example '{{suggestion}}'). Names become column names in training sets and SQL, so they must be portable",
  },
} as const;

export default common;
