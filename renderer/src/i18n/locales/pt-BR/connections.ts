import type en from '../en/connections.js';
import type { Translation } from '../../translation.js';

const connections: Translation<typeof en> = {
  title: 'Conexões salvas',
  subtitle: 'Conexões PostgreSQL e Kafka por nome: use conn:NOME onde uma URL do PostgreSQL for pedida.',
  add: 'Adicionar conexão',
  empty: 'Nenhuma conexão salva ainda.',
  loadFailed: 'Não foi possível carregar as conexões salvas',
  column: {
    name: 'Nome',
    kind: 'Tipo',
    url: 'URL',
    actions: 'Ações',
  },
  kind: {
    postgres: 'PostgreSQL',
    kafka: 'Kafka',
  },
  edit: 'Editar',
  delete: 'Excluir',
  test: 'Testar',
  testing: 'Testando…',
  testOk: 'Conectado em {{ms}} ms: {{message}}',
  testFailed: 'Não foi possível conectar: {{message}}',
  deleted: 'Conexão {{name}} excluída',
  saved: 'Conexão {{name}} salva',
  savedRestart: 'Conexão {{name}} salva; reinicie o app para usar a senha',
  confirmDelete: 'Excluir a conexão {{name}}? As fontes de dados criadas com ela mantêm a URL.',
  dialog: {
    addTitle: 'Adicionar uma conexão',
    editTitle: 'Editar {{name}}',
    name: 'Nome',
    nameHelp: 'snake_case, por exemplo warehouse; usada como conn:{{name}}',
    kind: 'Tipo',
    url: 'URL',
    urlHelpPostgres: 'env:VARIAVEL, ou uma URL postgres:// sem senha',
    urlHelpKafka: 'env:VARIAVEL, ou brokers como host:porta,host:porta',
    description: 'Descrição',
    whyNoPassword:
      'Uma conexão salva é exibida a todos que podem ler este repositório, por isso nunca guarda senha. Coloque a URL completa em uma variável de ambiente do serviço e salve env:VARIAVEL aqui.',
    secretUrl: 'URL com senha (guardada neste computador)',
    secretHelp: 'Criptografada com o chaveiro do sistema (safeStorage) e entregue ao serviço embutido como {{env}}; a conexão salva env:{{env}}. Vale depois que o app reiniciar.',
    desktopInfo:
      'Uma conexão salva é exibida a todos que podem ler este repositório, por isso nunca guarda senha. Digite a URL com a senha no último campo: o app desktop a guarda criptografada neste computador.',
    cancel: 'Cancelar',
    save: 'Salvar',
    saving: 'Salvando…',
    failed: 'Não foi possível salvar: {{message}}',
  },
  problem: {
    secretUrl: 'Uma URL postgres:// ou brokers Kafka (host:porta,…)',
    nameRequired: 'O nome é obrigatório',
    nameFormat: 'Letras minúsculas, dígitos e _, começando com uma letra',
    urlRequired: 'A URL é obrigatória',
    urlPassword: 'Sem senha nem arquivo de chave aqui: use env:VARIAVEL',
    urlPostgres: 'Uma URL postgres:// ou env:VARIAVEL',
    urlKafka: 'Brokers como host:porta[,host:porta], ou env:VARIAVEL',
    urlEnv: 'env: seguido de um nome de variável com A–Z, 0–9 e _',
  },
};

export default connections;
