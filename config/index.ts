import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

// Code outside the source root (the repo's shared/) is only compiled when listed here (TOOLCHAIN.md gotcha 5).
const sharedDir = path.resolve(__dirname, '../shared');
// taro-ui's styles still use Sass @import; keep the build log readable (TOOLCHAIN.md gotcha 3).
const sassLoaderOption = { sassOptions: { quietDeps: true, silenceDeprecations: ['import', 'global-builtin'] } };

export default defineConfig<'webpack5'>(async (merge) => {
  const platform = process.env.TARO_ENV ?? 'weapp';
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'linli',
    date: '2026-11-22',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'miniprogram',
    outputRoot: `dist/${platform}`,
    plugins: [],
    defineConstants: {
      // The H5 build is served by the API's own origin; the weapp build needs an absolute https URL in production.
      LINLI_API_BASE: JSON.stringify(platform === 'h5' ? '' : (process.env.LINLI_API_BASE ?? 'http://127.0.0.1:3000')),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile: { include: [sharedDir] },
      sassLoaderOption,
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      compile: { include: [sharedDir] },
      esnextModules: ['taro-ui'],
      // The entry is ~340 KiB with React and taro-ui; webpack's 244 KiB web hint is not our budget.
      webpackChain(chain) {
        chain.performance.hints(false);
      },
      sassLoaderOption,
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  return merge({}, baseConfig, process.env.NODE_ENV === 'development' ? devConfig : prodConfig);
});
