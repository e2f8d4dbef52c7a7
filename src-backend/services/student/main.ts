import { runService } from '../../shared/service-main.js';
import { buildStudentApp } from './app.js';

await runService({
  name: 'student_node',
  build: (ctx) => buildStudentApp({ client: ctx.client, logger: ctx.logger }),
});
