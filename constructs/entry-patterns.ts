/* The proxy entry's rules that config/ checks a value against and EntryProxy checks again (no provider import: config/ loads this). */

/**
 * SSM Parameter Store's rules for a parameter's name (PutParameter's "Naming Constraints", read in
 * the CLI reference, https://docs.aws.amazon.com/goto/aws-cli/ssm-2014-11-06/PutParameter, and the
 * SDKs' copy of the API model, e.g. https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ssm/aws.sdk.kotlin.services.ssm.model/-put-parameter-request/name.html):
 * letters, digits and `_ . -`, `/` between the levels of a hierarchy and leading a name in one, no
 * name prefixed with "aws" or "ssm" (any case), at most 15 levels, and 1011 characters at most (the
 * API's 2048 include 1037 reserved by Systems Manager). Only a fully qualified path is taken here:
 * the instance's IAM policy grants exactly that name.
 */
export const SSM_PARAMETER_PATH = /^(?=.{2,1011}$)(?!\/(?:aws|ssm))(?:\/[A-Za-z0-9_.-]+){1,15}$/i;

/**
 * The arm64 (AWS Graviton) families of general purpose, compute and memory instances, as AWS's
 * Graviton Technical Guide lists them (https://github.com/aws/aws-graviton-getting-started, AWS's own
 * repository, table "Building for Graviton", each family linked to its page under
 * https://aws.amazon.com/ec2/instance-types/): Graviton2 M6g/M6gd, C6g/C6gd/C6gn, R6g/R6gd, T4g;
 * Graviton3 C7g/C7gd/C7gn, M7g/M7gd, R7g/R7gd; Graviton4 C8g, M8g, R8g. The proxy's AMI is Amazon
 * Linux 2023 for arm64: an x86 type could not boot it. Sizes: those every one of these families
 * has (t4g: nano to 2xlarge; the others: medium to 16xlarge), checked against the EC2 API's
 * InstanceType enumeration (the AWS SDK for JavaScript v3's client-ec2 models). No metal, and none of the storage,
 * HPC or GPU Graviton families (X2gd, I4g, Im4gn, Is4gen, Hpc7g, G5g, X8g, I8g): a proxy has no
 * use for them.
 */
export const GRAVITON_INSTANCE_TYPE =
  /^(?:t4g\.(?:nano|micro|small|medium|large|xlarge|2xlarge)|(?:m6gd?|m7gd?|m8g|c6g[dn]?|c7g[dn]?|c8g|r6gd?|r7gd?|r8g)\.(?:medium|large|xlarge|2xlarge|4xlarge|8xlarge|12xlarge|16xlarge))$/;
