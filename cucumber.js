// Profiles for cucumber-js. The CLI (`npx kbus-conformance`) builds on the default profile;
// `npx cucumber-js -p ts` runs the TypeScript sources directly while developing.
const common = {
  paths: ['features/**/*.feature'],
  worldParameters: { adapter: 'reference' },
  strict: true,
};

module.exports = {
  default: {
    ...common,
    require: ['dist/steps/**/*.js'],
    format: ['progress'],
  },
  ts: {
    ...common,
    requireModule: ['ts-node/register/transpile-only'],
    require: ['steps/**/*.ts'],
    format: ['progress'],
  },
};
