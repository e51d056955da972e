import type en from '../en/common.js';
import type { Translation } from '../../translation.js';

const common: Translation<typeof en> = {
  appName: 'FStore',
  tagline: 'Registro de features',
  nav: {
    open: 'Abrir navegação',
    label: 'Principal',
    features: 'Features',
    featureGroups: 'Grupos de features',
    featureServices: 'Serviços de features',
    entities: 'Entidades',
    transforms: 'Transformações',
    dataSources: 'Fontes de dados',
    ingest: 'Ingerir dados',
    training: 'Conjuntos de treino',
    jobs: 'Jobs',
    monitoring: 'Monitoramento',
    definitions: 'Definições como código',
    audit: 'Auditoria',
  },
  language: {
    menu: 'Idioma',
    choose: 'Escolha o idioma',
  },
  colorMode: {
    toLight: 'Mudar para o modo claro',
    toDark: 'Mudar para o modo escuro',
  },
  skipLink: 'Pular para o conteúdo',
  loading: {
    definitions: 'Carregando definições…',
    monitoring: 'Carregando monitoramento…',
    studio: 'Carregando o estúdio de transformações…',
  },
  duration: {
    noExpiry: 'Sem expiração',
  },
  breadcrumb: 'Trilha de navegação',
  retry: 'Tentar de novo',
  loadingDefault: 'Carregando…',
  notFound: {
    title: 'Esta página não existe',
    goToFeatures: 'Ir para features',
  },
  status: {
    active: 'Ativo',
    deprecated: 'Descontinuado',
    archived: 'Arquivado',
  },
  tagsPlaceholder: 'Digite uma tag e pressione Enter',
  changes: {
    field: 'Campo',
    before: 'Antes',
    beforeVersion: 'Antes (v{{version}})',
    value: 'Valor',
    after: 'Depois',
    label: 'Alterações em {{kind}} {{name}}',
  },
  serviceStatus: {
    checking: 'Verificando o serviço…',
    version: 'Serviço v{{version}}',
    online: 'Serviço online',
    unreachable: 'Serviço inacessível',
  },
  serviceDown: {
    title: 'O serviço FStore não está respondendo',
    cannotSave: 'Não é possível salvar alterações até ele voltar.',
    checking: 'Verificando…',
    retryNow: 'Tentar agora',
    checkingIn: 'Nova verificação em {{seconds}} s.',
    nothingAnswers: 'Nada responde em {{host}}',
  },
  nameRules: {
    kinds: {
      entity: 'da entidade',
      feature_group: 'do grupo de features',
      feature: 'da feature',
      data_source: 'da fonte de dados',
      transform: 'da transformação',
      feature_service: 'do serviço de features',
    },
    empty: 'O nome {{kind}} não pode ficar vazio',
    tooLong: "O nome {{kind}} '{{name}}' tem {{length}} caracteres; o limite é {{max}}",
    notSnakeCase:
      "O nome {{kind}} '{{name}}' não está em snake_case: use letras minúsculas, dígitos e sublinhados, começando por uma letra. Os nomes viram nomes de colunas em conjuntos de treino e em SQL, por isso precisam ser portáveis",
    notSnakeCaseExample:
      "O nome {{kind}} '{{name}}' não está em snake_case: use letras minúsculas, dígitos e sublinhados, começando por uma letra (por exemplo '{{suggestion}}'). Os nomes viram nomes de colunas em conjuntos de treino e em SQL, por isso precisam ser portáveis",
  },
};

export default common;
