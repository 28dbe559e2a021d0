import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { ConstructPropsError } from "./errors";

export interface EcrRepositoryProps {
  /** Repository name, e.g. `city-guided-api`. */
  readonly name: string;
  /** Newest images kept (any tag status), beyond the protected release images. */
  readonly keepImages: number;
  /** Days after which untagged images expire. */
  readonly untaggedDays: number;
  /** Tag prefix that marks an image promoted to an environment; such images are kept first. */
  readonly releaseTagPrefix: string;
  /** Release-tagged images kept. */
  readonly keepReleases: number;
  /**
   * Allow `terraform destroy` and a replacing plan to delete the repository and its images.
   * @default false: the repository outlives every deploy (`prevent_destroy`, `force_delete` false)
   */
  readonly allowDestroy?: boolean;
  /**
   * Adopt a repository of this name that already exists (a Terraform `import` block) instead of
   * creating it. Its lifecycle policy needs no import: putting one replaces whatever is there.
   * @default false
   */
  readonly importExisting?: boolean;
}

/** One rule of an ECR lifecycle policy, as ECR's JSON document spells it. */
export interface LifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: {
    readonly tagStatus: "tagged" | "untagged" | "any";
    readonly tagPrefixList?: readonly string[];
    readonly tagPatternList?: readonly string[];
    readonly countType: "imageCountMoreThan" | "sinceImagePushed";
    readonly countUnit?: "days";
    readonly countNumber: number;
  };
  readonly action: { readonly type: "expire" };
}

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * An ECR repository with its lifecycle policy: scan on push, immutable tags, AES256 (what the
 * repositories created by the previous AWS CDK stack use; encryption cannot change in place), and
 * protected from deletion by default.
 */
export class EcrRepository extends Construct {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` */
  public readonly repositoryUrl: string;
  public readonly arn: string;
  private readonly repository: EcrRepositoryResource;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    if (props.name.length < 2 || props.name.length > 256 || !REPOSITORY_NAME.test(props.name)) {
      throw new ConstructPropsError(`Invalid ECR repository name "${props.name}": must be 2-256 lowercase letters, digits and . _ - / separators`);
    }
    const rules = lifecycleRules(props);
    const ruleErrors = validateLifecycleRules(rules);
    if (ruleErrors.length > 0) {
      throw new ConstructPropsError(`Invalid lifecycle policy for ECR repository "${props.name}": ${ruleErrors.join("; ")}`);
    }

    this.repository = new EcrRepositoryResource(this, "repository", {
      name: props.name,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "AES256" }],
      forceDelete: props.allowDestroy === true,
      lifecycle: { preventDestroy: props.allowDestroy !== true },
    });
    if (props.importExisting) this.repository.importFrom(props.name);
    new EcrLifecyclePolicy(this, "lifecycle-policy", {
      repository: this.repository.name,
      policy: JSON.stringify({ rules }),
    });
    this.repositoryUrl = this.repository.repositoryUrl;
    this.arn = this.repository.arn;
  }
}

/** Release images first (never expired by the newer-images count), then untagged, then the rest. */
export function lifecycleRules(props: Omit<EcrRepositoryProps, "name" | "allowDestroy" | "importExisting">): LifecycleRule[] {
  return [
    {
      rulePriority: 1,
      description: `Keep the last ${props.keepReleases} release images (tags starting with ${props.releaseTagPrefix})`,
      selection: { tagStatus: "tagged", tagPrefixList: [props.releaseTagPrefix], countType: "imageCountMoreThan", countNumber: props.keepReleases },
      action: { type: "expire" },
    },
    {
      rulePriority: 2,
      description: `Expire untagged images after ${props.untaggedDays} day(s)`,
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: props.untaggedDays },
      action: { type: "expire" },
    },
    {
      rulePriority: 3,
      description: `Keep the last ${props.keepImages} images`,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages },
      action: { type: "expire" },
    },
  ];
}

/** The checks ECR applies when a lifecycle policy is put, so a bad policy fails at synth, not apply. */
export function validateLifecycleRules(rules: readonly LifecycleRule[]): string[] {
  const errors: string[] = [];
  const priorities = rules.map((rule) => rule.rulePriority);
  if (new Set(priorities).size !== priorities.length) errors.push("rulePriority values must be unique");
  const highest = Math.max(...priorities);
  for (const rule of rules) {
    const { selection } = rule;
    const where = `rule ${rule.rulePriority}`;
    if (!Number.isInteger(rule.rulePriority) || rule.rulePriority < 1) errors.push(`${where}: rulePriority must be a positive integer`);
    if (!Number.isInteger(selection.countNumber) || selection.countNumber < 1) errors.push(`${where}: countNumber must be a positive integer`);
    if (selection.tagStatus === "any" && rule.rulePriority !== highest) errors.push(`${where}: a tagStatus "any" rule must have the highest rulePriority`);
    const filters = [...(selection.tagPrefixList ?? []), ...(selection.tagPatternList ?? [])];
    if (selection.tagStatus === "tagged" && filters.length === 0) errors.push(`${where}: a "tagged" rule needs tagPrefixList or tagPatternList`);
    if (selection.tagStatus !== "tagged" && filters.length > 0) errors.push(`${where}: only a "tagged" rule may list tags`);
    if (selection.tagPrefixList && selection.tagPatternList) errors.push(`${where}: use tagPrefixList or tagPatternList, not both`);
    if ((selection.tagPatternList ?? []).some((pattern) => (pattern.match(/\*/g) ?? []).length > 4)) errors.push(`${where}: a tag pattern may hold at most 4 wildcards`);
    if (selection.countType === "sinceImagePushed" && selection.countUnit !== "days") errors.push(`${where}: sinceImagePushed needs countUnit "days"`);
    if (selection.countType === "imageCountMoreThan" && selection.countUnit !== undefined) errors.push(`${where}: countUnit is only allowed with sinceImagePushed`);
  }
  return errors;
}
