// manifest.parameters: the settings an admin fills in when installing the app.
import { isRecord, type Findings, type JsonRecord } from './findings';

const PARAMETER_TYPES = ['text', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth'];
const PARAMETER_ATTRIBUTES = ['name', 'type', 'required', 'secure', 'default', 'scopes', 'allowed_domain'];
const SECURE_SCOPES = ['header', 'body', 'url', 'jwt_secret_key', 'jwt_claim', 'basic_auth_username', 'basic_auth_password'];
const SECRET_LOOKING_NAME = /token|key|pwd|password/i;
const OAUTH_REQUIRED_FIELDS = ['client_id', 'client_secret', 'authorize_uri', 'access_token_uri'];

export function checkParameters(manifest: JsonRecord, findings: Findings): void {
  if (!Array.isArray(manifest.parameters)) return; // absent, or reported by the type checks
  const parameters = manifest.parameters.filter((parameter, index): parameter is JsonRecord => {
    const usable = isRecord(parameter) && typeof parameter.name === 'string' && parameter.name !== '';
    if (!usable) findings.error('invalid_parameter', `parameters[${index}] must be an object with a name`);
    return usable;
  });
  checkNames(parameters, findings);
  for (const parameter of parameters) checkParameter(parameter, findings);
  checkOauth(manifest, parameters, findings);
}

function checkNames(parameters: JsonRecord[], findings: Findings): void {
  const names = parameters.map((parameter) => String(parameter.name));
  const duplicates = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  if (duplicates.length > 0) findings.error('duplicate_parameters', `duplicate parameter names: ${duplicates.join(', ')}`);
  if (names.includes('name')) findings.error('name_as_parameter_name', 'a parameter cannot be called "name"');
}

function checkParameter(parameter: JsonRecord, findings: Findings): void {
  const name = String(parameter.name);
  const type = parameter.type ?? 'text';
  for (const attribute of Object.keys(parameter)) {
    if (!PARAMETER_ATTRIBUTES.includes(attribute)) findings.error('invalid_parameter_attribute', `parameter ${name}: unknown attribute "${attribute}"`);
  }
  if (typeof type !== 'string' || !PARAMETER_TYPES.includes(type)) findings.error('invalid_type_parameter', `parameter ${name}: type ${JSON.stringify(type)} is not one of ${PARAMETER_TYPES.join(', ')}`);
  for (const flag of ['required', 'secure']) {
    if (flag in parameter && typeof parameter[flag] !== 'boolean') findings.error('unacceptable_boolean', `parameters.${name}.${flag} must be true or false`);
  }
  if (type === 'hidden' && parameter.required === true) findings.error('invalid_hidden_parameter', `parameter ${name}: a hidden parameter cannot be required`);
  if (type === 'oauth' && parameter.secure === true) findings.error('oauth_parameter_cannot_be_secure', `parameter ${name}: an oauth parameter cannot be secure`);
  checkScopes(name, parameter, findings);
  warnAboutSecrets(name, type, parameter, findings);
}

function checkScopes(name: string, parameter: JsonRecord, findings: Findings): void {
  if (!('scopes' in parameter)) return;
  if (parameter.secure !== true) findings.error('scopes_require_secure', `parameter ${name}: scopes are only allowed on secure parameters`);
  const scopes = parameter.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0) return findings.error('invalid_scopes', `parameter ${name}: scopes must be a non-empty array`);
  const unknown = scopes.filter((scope) => typeof scope !== 'string' || !SECURE_SCOPES.includes(scope));
  if (unknown.length > 0) findings.error('invalid_scopes', `parameter ${name}: unknown scopes ${JSON.stringify(unknown)} (allowed: ${SECURE_SCOPES.join(', ')})`);
}

function warnAboutSecrets(name: string, type: unknown, parameter: JsonRecord, findings: Findings): void {
  if (SECRET_LOOKING_NAME.test(name) && type === 'text' && parameter.secure !== true) {
    findings.warn('insecure_token_parameter', `parameter ${name} looks like a secret but is not secure`);
  }
  if ('default' in parameter && (parameter.secure === true || type === 'hidden')) {
    findings.warn('default_secure_or_hidden_parameter', `parameter ${name}: a secure or hidden parameter should not have a default`);
  }
  if (parameter.secure === true && !Array.isArray(parameter.scopes)) {
    findings.warn('secure_parameter_without_scopes', `parameter ${name} is secure but has no scopes`);
  }
}

function checkOauth(manifest: JsonRecord, parameters: JsonRecord[], findings: Findings): void {
  const oauthParameters = parameters.filter((parameter) => parameter.type === 'oauth');
  if (oauthParameters.length > 1) findings.error('too_many_oauth_parameters', 'only one oauth parameter is allowed');
  if (manifest.oauth === undefined) return;
  const oauth = isRecord(manifest.oauth) ? manifest.oauth : {};
  const missing = OAUTH_REQUIRED_FIELDS.filter((key) => typeof oauth[key] !== 'string' || oauth[key] === '');
  if (missing.length > 0) findings.error('oauth_keys_missing', `oauth is missing ${missing.join(', ')}`);
  if (oauthParameters.length === 0) findings.error('oauth_parameter_required', 'an oauth manifest needs a parameter of type oauth');
}
