import { partition } from "@aws-sdk/core/client";
import { z } from "zod";
import { closest } from "./suggest";

/**
 * AWS regions as the AWS SDK knows them, offline: `partition()` of @aws-sdk/core reads the SDK's
 * bundled partitions data (the endpoint rules' own list). It answers a region it lists with that
 * region's `description` ("Europe (Paris)"); a name that only matches a partition's pattern
 * (`eu-west-9`) gets the partition's defaults without one. A region AWS opens after the SDK's
 * release is refused until the dependency is updated (`npm update @aws-sdk/core`).
 */
export function isKnownRegion(name: string): boolean {
  // The declared type leaves out the region data that partition() spreads into its answer.
  return (partition(name) as { description?: string }).description !== undefined;
}

const SHAPE = /^([a-z]{2}(?:-gov|-iso[a-z]*)?)-([a-z]+)-\d+$/;
const DIRECTIONS = ["central", "north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"];

/** Known regions of an area (`eu`), probed through the SDK since it exports no list. */
function regionsNear(area: string): string[] {
  const candidates = DIRECTIONS.flatMap((direction) => Array.from({ length: 9 }, (_, index) => `${area}-${direction}-${index + 1}`));
  return candidates.filter(isKnownRegion);
}

/** What to write instead of a region name the SDK does not know: the nearest names it knows. */
export function unknownRegionHint(name: string): string {
  const area = SHAPE.exec(name)?.[1] ?? name.slice(0, 2);
  const near = regionsNear(area);
  if (near.length === 0) return `${name} is not a region the AWS SDK knows`;
  const suggestion = closest(name, near);
  return `${name} is not a region the AWS SDK knows${suggestion ? `: did you mean ${suggestion}?` : ""} Known ${area}-* regions: ${near.join(", ")}`;
}

/**
 * A region name of the given shape that the SDK lists. A well-formed name that is no region
 * (eu-west-9) would pass `plan` and fail only at the first AWS call; refused here, its message
 * carries the nearest known names as a hint (params.hint, which config/load.ts adds to the rule).
 */
export function knownRegion(shape: RegExp): z.ZodType<string, string> {
  return z
    .string()
    .regex(shape, { abort: true })
    .refine(isKnownRegion, { error: (issue) => unknownRegionHint(String(issue.input)), params: { hint: true } });
}
