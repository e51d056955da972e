/** Keyboard shortcuts, their sheet, and the studio's query history and exports. */
const shortcuts = {
  sheet: {
    title: 'Keyboard shortcuts',
    open: 'Keyboard shortcuts (?)',
    close: 'Close',
    intro: 'Shortcuts do nothing while you type in a field, except those of the transform studio.',
    then: 'then',
    or: 'or',
    general: 'Anywhere',
    navigation: 'Go to a page',
    studio: 'Transform studio',
    desktopOnly: 'In a browser, Ctrl+1…9 may switch browser tabs instead.',
  },
  action: {
    showShortcuts: 'Show this list',
    focusSearch: 'Search on the page (Features when the page has none)',
    toggleDarkMode: 'Switch between light and dark mode',
    runPreview: 'Run the preview (also in the editor)',
    publish: 'Publish…',
  },
  key: {
    enter: 'Enter',
    shift: 'Shift',
  },
  history: {
    title: 'Query history',
    empty: 'Each preview you run is kept here, for this transform, on this computer.',
    restore: 'Restore this code into the editor',
    clear: 'Clear',
    ok: '{{rows}} rows',
    failed: 'Failed',
    restored: 'Code from {{time}} restored into the editor',
  },
  export: {
    csv: 'CSV',
    parquet: 'Parquet',
    label: 'Download the previewed rows',
    failed: 'Could not write the Parquet file: {{message}}',
  },
} as const;

export default shortcuts;
