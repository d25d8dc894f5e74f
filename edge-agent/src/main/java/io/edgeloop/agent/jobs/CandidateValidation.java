package io.edgeloop.agent.jobs;

import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.health.ShadowStats;
import io.edgeloop.agent.serving.ModelRegistry;
import io.edgeloop.agent.serving.ServedModel;
import io.edgeloop.packageformat.PackageException;
import io.edgeloop.packageformat.ReferenceSet;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobValidation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code VALIDATING} step: the installed, not yet active candidate is compared on top-1
 * answers, either with the expected answers of the package's reference inputs or with the active
 * version's answers on live requests (the shadow machinery: the candidate sees every request the
 * active version answers, its answers are only compared). Agreement below the job's
 * {@code minAgreement} fails the job with {@code VALIDATION_FAILED}.
 */
final class CandidateValidation {
    private final ModelRegistry registry;
    private final ShadowStats shadow;
    private final JobOptions options;

    CandidateValidation(ModelRegistry registry, ShadowStats shadow, JobOptions options) {
        this.registry = registry;
        this.shadow = shadow;
        this.options = options;
    }

    /** Validates {@code version} of {@code model}; returns the details to report (agreement, compared). */
    Map<String, String> validate(JobValidation validation, String model, String version, VerifiedPackage pkg,
                                 StepControl control) throws JobOutcome, JobStopped {
        return switch (validation.mode()) {
            case NONE -> Map.of("validation", "NONE");
            case REFERENCE -> onReferences(validation, model, version, pkg.manifest().inputs().get(0).name(),
                    references(pkg), control);
            case SHADOW -> inShadow(validation, model, version, control);
        };
    }

    private static ReferenceSet references(VerifiedPackage pkg) throws JobOutcome {
        try {
            return pkg.referenceSet().orElseThrow(() -> JobOutcome.failed(ErrorCode.VALIDATION_FAILED, "the job asks for "
                    + "REFERENCE validation and the package carries no reference inputs; repackage it with 'edgeloop pack'"
                    + " (64 reference inputs by default)"));
        } catch (PackageException e) {
            throw JobOutcome.failed(e.code(), e.getMessage());
        }
    }

    private Map<String, String> onReferences(JobValidation validation, String model, String version, String input,
                                             ReferenceSet references, StepControl control)
            throws JobOutcome, JobStopped {
        int n = validation.samples() == 0 ? references.count() : Math.min(validation.samples(), references.count());
        if (n == 0) {
            throw JobOutcome.failed(ErrorCode.VALIDATION_FAILED, "the package's reference set is empty");
        }
        int agreed = 0;
        try (ServedModel candidate = load(model, version)) {
            List<CompletableFuture<List<Tensor>>> answers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                answers.add(candidate.infer(List.of(Tensor.of(input, references.input(i), references.batchShape(1)))));
            }
            for (int i = 0; i < n; i++) {
                control.checkContinue();
                int[] top = candidate.topClasses(answers.get(i).get(60, TimeUnit.SECONDS));
                if (top == null) {
                    throw JobOutcome.failed(ErrorCode.VALIDATION_FAILED, model + " " + version
                            + " gives no class scores to compare");
                }
                if (top[0] == references.expectedTop1(i)) {
                    agreed++;
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw JobOutcome.failed(ErrorCode.VALIDATION_FAILED, "the candidate failed on a reference input: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobStopped();
        }
        return verdict(validation, "REFERENCE", agreed, n);
    }

    private ServedModel load(String model, String version) throws JobOutcome {
        try {
            return registry.loadDetached(model, version);
        } catch (EdgeLoopException e) {
            throw JobOutcome.failed(ErrorCode.VALIDATION_FAILED, "the candidate does not load: " + e.describe());
        }
    }

    private Map<String, String> inShadow(JobValidation validation, String model, String version, StepControl control)
            throws JobOutcome, JobStopped {
        if (!registry.names().contains(model)) {
            // A device's first version of a model has nothing to be compared with.
            return Map.of("validation", "SHADOW", "agreement", "n/a", "reason", "no active version of " + model
                    + " to compare with");
        }
        try {
            registry.shadow(model, version);
        } catch (EdgeLoopException e) {
            throw JobOutcome.failed(ErrorCode.VALIDATION_FAILED, "the candidate does not load: " + e.describe());
        }
        long compared0 = shadow.compared();
        long agreed0 = shadow.agreed();
        try {
            while (shadow.compared() - compared0 < validation.samples()) {
                control.checkContinue();
                control.pause(options.shadowPoll().toMillis());
            }
        } finally {
            registry.stopShadow(model);
        }
        long compared = shadow.compared() - compared0;
        long agreed = shadow.agreed() - agreed0;
        return verdict(validation, "SHADOW", agreed, compared);
    }

    private static Map<String, String> verdict(JobValidation validation, String mode, long agreed, long compared)
            throws JobOutcome {
        double agreement = (double) agreed / compared;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("validation", mode);
        details.put("agreement", String.format(Locale.ROOT, "%.4f", agreement));
        details.put("compared", Long.toString(compared));
        details.put("minAgreement", String.format(Locale.ROOT, "%.4f", validation.minAgreement()));
        if (agreement < validation.minAgreement()) {
            details.put("reason", "the candidate agreed with the " + (mode.equals("SHADOW") ? "active version" : "expected answers")
                    + " on " + agreed + " of " + compared + " inputs, below the minimum " + validation.minAgreement());
            throw new JobOutcome(JobExecutionState.FAILED, ErrorCode.VALIDATION_FAILED, details.get("reason"), details);
        }
        return details;
    }
}
