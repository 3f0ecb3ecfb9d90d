// What benchmarks/ needs from this package's dependency tree: the benchmarks package cannot
// depend on the AWS SDK or s3rver itself, so it imports them through this file.
export { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
export { type RunningS3Server, startS3Server } from './s3-server.js';
