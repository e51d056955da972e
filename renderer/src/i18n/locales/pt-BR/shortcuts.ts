import type en from '../en/shortcuts.js';
import type { Translation } from '../../translation.js';

const shortcuts: Translation<typeof en> = {
  sheet: {
    title: 'Atalhos de teclado',
    open: 'Atalhos de teclado (?)',
    close: 'Fechar',
    intro: 'Os atalhos não fazem nada enquanto você digita em um campo, exceto os do estúdio de transformações.',
    then: 'depois',
    or: 'ou',
    general: 'Em qualquer lugar',
    navigation: 'Ir para uma página',
    studio: 'Estúdio de transformações',
    desktopOnly: 'No navegador, Ctrl+1…9 pode trocar de aba do navegador.',
  },
  action: {
    showShortcuts: 'Mostrar esta lista',
    focusSearch: 'Buscar na página (Features quando a página não tem busca)',
    toggleDarkMode: 'Alternar entre modo claro e escuro',
    runPreview: 'Executar a prévia (também no editor)',
    publish: 'Publicar…',
  },
  key: {
    enter: 'Enter',
    shift: 'Shift',
  },
  history: {
    title: 'Histórico de consultas',
    empty: 'Cada prévia que você executa fica guardada aqui, para esta transformação, neste computador.',
    restore: 'Restaurar este código no editor',
    clear: 'Limpar',
    ok: '{{rows}} linhas',
    failed: 'Falhou',
    restored: 'Código de {{time}} restaurado no editor',
  },
  export: {
    csv: 'CSV',
    parquet: 'Parquet',
    label: 'Baixar as linhas da prévia',
    failed: 'Não foi possível gerar o arquivo Parquet: {{message}}',
  },
};

export default shortcuts;
