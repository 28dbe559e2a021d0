/**
 * What a construct throws when its props break a rule AWS or the construct itself enforces, at
 * synth (`Invalid ECR repository name "Foo": must be ...`). The constructs' own type: they know
 * nothing of config/ or the CLI layer, which translates it into one clear line and exit 1.
 */
export class ConstructPropsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConstructPropsError";
  }
}
