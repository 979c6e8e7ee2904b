/** The variable holding the Secrets Manager id of a secret: `JWT_SECRET` → `JWT_SECRET_ARN`, `KAFKA_PASSWORD` → `KAFKA_PASSWORD_SECRET_ARN`. */
export function secretArnVariable(name: string): string {
  return name.endsWith('_SECRET') ? `${name}_ARN` : `${name}_SECRET_ARN`;
}
