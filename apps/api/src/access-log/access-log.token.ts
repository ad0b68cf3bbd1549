import { Inject } from '@nestjs/common';

export const ACCESS_LOG = Symbol('ACCESS_LOG');
export const InjectAccessLog = () => Inject(ACCESS_LOG);
