package dev.chainrule.processor.emit;

import com.palantir.javapoet.MethodSpec;
import dev.chainrule.processor.plan.LayerPlan;
import javax.lang.model.element.Modifier;

/** The plain SGD step of one layer: {@code theta = theta - learningRate * dL/dtheta}. */
final class UpdateEmitter {

    private final Numeric numeric;

    UpdateEmitter(Numeric numeric) {
        this.numeric = numeric;
    }

    static String methodName(LayerPlan layer) {
        return "update" + layer.capitalized();
    }

    MethodSpec emit(LayerPlan layer) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(methodName(layer))
                .addModifiers(Modifier.PRIVATE)
                .addParameter(numeric.type(), "learningRate")
                .addParameter(numeric.type(), "weightDecay")
                .addJavadoc("SGD on $L: theta -= learningRate * (g + weightDecay * theta) for $L and $L.\n",
                        layer.name(), layer.weights(), layer.biases());
        method.beginControlFlow("for (int i = 0; i < $L; i++)", layer.inputSize());
        method.addStatement("$T w = $N[i]", numeric.array(), layer.weights());
        method.addStatement("$T gw = $N[i]", numeric.array(), layer.weightGradient());
        method.beginControlFlow("for (int j = 0; j < $L; j++)", layer.units());
        method.addStatement("w[j] -= learningRate * Math.fma(weightDecay, w[j], gw[j])");
        method.endControlFlow();
        method.endControlFlow();
        method.addStatement("$T b = $N", numeric.array(), layer.biases());
        method.addStatement("$T gb = $N", numeric.array(), layer.biasGradient());
        method.beginControlFlow("for (int j = 0; j < $L; j++)", layer.units());
        method.addStatement("b[j] -= learningRate * Math.fma(weightDecay, b[j], gb[j])");
        method.endControlFlow();
        return method.build();
    }
}
