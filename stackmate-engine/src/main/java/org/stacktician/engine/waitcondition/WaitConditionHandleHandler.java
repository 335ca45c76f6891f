package org.stacktician.engine.waitcondition;

import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;

/**
 * {@code AWS::CloudFormation::WaitConditionHandle}: no properties; its physical id (what {@code
 * Ref} gives) is a presigned URL on the callback listener that cfn-signal PUTs to.
 */
public final class WaitConditionHandleHandler implements ResourceHandler {

  @Override
  public ProgressEvent create(ResourceRequest request) {
    return request.context().urlSigner()
        .<ProgressEvent>map(signer -> ProgressEvent.success(
            signer.waitConditionUrl(request.stack().stackId(), request.logicalId()).toString()))
        .orElseGet(() -> ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
            "wait condition handle " + request.logicalId()
                + " needs the callback listener, but the engine runs without one"));
  }

  @Override
  public ProgressEvent delete(ResourceRequest request) {
    return ProgressEvent.success(null);
  }

  @Override
  public ProgressEvent read(ResourceRequest request) {
    return create(request);
  }
}
