// `npm start`: Countersign as a process, configured from the environment, with the playground beside
// the API when COUNTERSIGN_PLAYGROUND is on (the default unless NODE_ENV=production). The playground
// is loaded only then, so a production server never loads its code.
import { runFromEnvironment } from '@countersign/server';

runFromEnvironment({
  extensions: async (config) => {
    if (!config.playground) return [];
    const { playgroundExtension } = await import('@countersign/playground');
    return [playgroundExtension()];
  },
});
