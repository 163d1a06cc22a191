import { ENV, Env, envValue } from './env';
import { BedrockSettings, endpointCheck, SETTING_IDS, SettingProblem } from './settings';

/**
 * Where model discovery (ListFoundationModels, ListInferenceProfiles) goes:
 * `bedrockChat.controlPlaneEndpoint`, else AWS_ENDPOINT_URL_BEDROCK, else
 * AWS's own endpoint for the region. Same rules as the runtime endpoint
 * (https, plain http only to loopback); an invalid value stops discovery
 * rather than falling back to AWS.
 *
 * With a runtime gateway (`bedrockChat.endpoint`) and no control-plane
 * endpoint, discovery does not run: the credentials are meant for the gateway
 * (an API key may be the gateway's own), so they are not sent to AWS behind
 * its back, and AWS's list need not match what the gateway serves.
 */
export interface ControlPlane {
  /** Undefined: AWS's endpoint for the region. */
  endpoint?: string;
  source: 'settings' | 'environment' | 'default';
  /** Why discovery does not run; the catalogue is offered instead. */
  skip?: string;
}

export function resolveControlPlane(settings: BedrockSettings, problems: readonly SettingProblem[], env: Env): ControlPlane {
  const problem = problems.find((p) => p.id === SETTING_IDS.controlPlaneEndpoint);
  if (problem) {
    return { source: 'settings', skip: `the ${problem.layer} setting ${problem.id} is invalid (${problem.message}), so models are not discovered; fix or clear it` };
  }
  const setting = settings.controlPlaneEndpoint;
  if (setting.value) return { endpoint: setting.value, source: 'settings' };
  const fromEnv = envValue(env, ENV.controlPlaneEndpoint);
  if (fromEnv) {
    const checked = endpointCheck(fromEnv);
    if ('problem' in checked) return { source: 'environment', skip: `${ENV.controlPlaneEndpoint} ${checked.problem}, so models are not discovered` };
    return { endpoint: checked.value, source: 'environment' };
  }
  if (settings.endpoint.value) {
    return {
      source: 'default',
      skip: `requests go to the gateway in ${SETTING_IDS.endpoint} and no control-plane endpoint is set (${SETTING_IDS.controlPlaneEndpoint} or ${ENV.controlPlaneEndpoint}), so models are not discovered (your credentials are not sent to AWS behind the gateway's back)`,
    };
  }
  return { source: 'default' };
}
