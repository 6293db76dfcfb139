// Taro's Babel preset compiles the mini-program (React + TypeScript) for both weapp and h5.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
