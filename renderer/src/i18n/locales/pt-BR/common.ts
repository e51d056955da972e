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
};

export default common;
